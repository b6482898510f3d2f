#!/usr/bin/env bash
# A user's first build: `cargo build` (dev profile, nothing cached, its own target dir) of a
# binary that calls one operation of the packaged pinterest-v5, against the same binary written
# on reqwest + serde + serde_json + tokio alone, in the same run.
#
#   benches/consumer_build.sh [default | AREA,AREA...] [--concurrent]
#       default: pinterest-v5 with its default features (what `cargo add pinterest-v5` gives);
#       AREA,...: `default-features = false, features = [AREA, ...]`, e.g. user_account.
#       The two builds run one after the other (baseline first), or at the same time with
#       --concurrent; the ratio of the two is steadier than either figure.
#
# The crates are packaged from this checkout (`cargo package --no-verify`: it needs
# openapi/pinterest-v5.json in place, see `cargo xtask package-check`) and unpacked under
# target/consumer-build (or $CONSUMER_BUILD_DIR); the consumer is xtask/consumer, the crate
# `cargo xtask package-check` runs. Both builds resolve offline, from the same lock file (the
# packaged crate's), with incremental compilation off, as for a dependency from crates.io.
# Prints each build's wall and user time, the consumer's build-script run, and the ratios (wall
# and CPU: on a loaded machine the CPU ratio moves less).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${CONSUMER_BUILD_DIR:-$root/target/consumer-build}
features=default concurrent=0
for arg in "$@"; do
  case $arg in
    --concurrent) concurrent=1 ;;
    -*) echo "error: unknown flag $arg (usage: benches/consumer_build.sh [default | AREA,...] [--concurrent])" >&2; exit 2 ;;
    *) features=$arg ;;
  esac
done
export CARGO_INCREMENTAL=0 CARGO_TERM_COLOR=never
unset PINTEREST_V5_OPENAPI PINTEREST_V5_UNPINNED

if [ ! -f "$root/openapi/pinterest-v5.json" ]; then
  echo "error: openapi/pinterest-v5.json is missing, so the package would be too: run \`cargo xtask package-check\` (copies the pinned description in) or \`cargo xtask regen --from FILE\` first" >&2
  exit 1
fi
version_of() { sed -n '/^\[package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$1" | head -1; }
version=$(version_of "$root/Cargo.toml")
codegen_version=$(version_of "$root/codegen/Cargo.toml")

rm -rf "$out" && mkdir -p "$out/crates"
(cd "$root" && cargo package -q -p pinterest-v5-codegen -p pinterest-v5 --allow-dirty --no-verify --offline 2>/dev/null)
for crate in "pinterest-v5-codegen-$codegen_version" "pinterest-v5-$version"; do
  tar -xzf "$root/target/package/$crate.crate" -C "$out/crates"
done

# The consumer: xtask/consumer, filled in.
if [ "$features" = default ]; then feature_spec=""; else
  feature_spec=", default-features = false, features = [\"${features//,/\", \"}\"]"
fi
mkdir -p "$out/consumer"
cp -r "$root/xtask/consumer/src" "$out/consumer/"
sed -e "s|@VERSION@|$version|g" -e "s|@CODEGEN_VERSION@|$codegen_version|g" \
  -e "s|@CRATES@|$out/crates|g" -e "s|@FEATURES@|$feature_spec|" \
  "$root/xtask/consumer/Cargo.toml.in" > "$out/consumer/Cargo.toml"

# The baseline: the same call by hand, on the crate's own HTTP stack (the same reqwest, rustls
# and serde lines as pinterest-v5's Cargo.toml) and the consumer's tokio.
mkdir -p "$out/baseline/src"
{
  printf '[package]\nname = "baseline-consumer"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n[workspace]\n\n[dependencies]\n'
  grep -E '^(reqwest|rustls|serde|serde_json) *=' "$root/Cargo.toml"
  grep -E '^tokio *=' "$root/xtask/consumer/Cargo.toml.in"
} > "$out/baseline/Cargo.toml"
cat > "$out/baseline/src/main.rs" <<'EOF'
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

#[derive(serde::Deserialize, Debug)]
struct Account {
    username: Option<String>,
    account_type: Option<String>,
}

fn serve_one(listener: TcpListener) -> std::io::Result<()> {
    let (mut stream, _) = listener.accept()?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 && !line.ends_with("\r\n\r\n") {}
    let body = r#"{"username":"consumer_check","account_type":"BUSINESS"}"#;
    write!(stream, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    std::thread::spawn(move || serve_one(listener));
    let client = reqwest::Client::builder().build()?;
    let reply = client
        .get(format!("http://{addr}/v5/user_account"))
        .bearer_auth("consumer-check-token")
        .send()
        .await?
        .error_for_status()?;
    let account: Account = serde_json::from_slice(&reply.bytes().await?)?;
    println!("baseline: {account:?}");
    Ok(())
}
EOF

for dir in consumer baseline; do
  cp "$out/crates/pinterest-v5-$version/Cargo.lock" "$out/$dir/Cargo.lock"

  (cd "$out/$dir" && cargo update -q --workspace --offline)
done

timed() { # label dir
  (cd "$out/$2" && /usr/bin/time -f "$1: wall %e s, user %U s" \
    cargo build -q --offline --timings 2>&1 | grep -v '^ *Timing report' | tail -1)
}
echo "consumer_build: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; pinterest-v5 features: $features"
if [ "$concurrent" = 1 ]; then
  timed baseline baseline > "$out/baseline.txt" &
  timed "pinterest-v5 consumer" consumer > "$out/consumer.txt"
  wait
else
  timed baseline baseline > "$out/baseline.txt"
  timed "pinterest-v5 consumer" consumer > "$out/consumer.txt"
fi
cat "$out/baseline.txt" "$out/consumer.txt"
# The build script's run, from cargo's timing data (a JSON list of units in the HTML report).
script=$(tr -d ' \n' < "$out/consumer/target/cargo-timings/cargo-timing.html" \
  | grep -o '"name":"pinterest-v5","version":"[^"]*","mode":"run-custom-build"[^}]*"duration":[0-9.]*' \
  | sed 's/.*"duration"://' | head -1 || true)
[ -n "$script" ] && echo "pinterest-v5 consumer: its build script ran ${script} s"
b=$(sed -n 's/.*wall \([0-9.]*\) s.*/\1/p' "$out/baseline.txt")
c=$(sed -n 's/.*wall \([0-9.]*\) s.*/\1/p' "$out/consumer.txt")
awk -v b="$b" -v c="$c" 'BEGIN { printf "ratio (consumer / baseline, wall): %.2f\n", c / b }'
bu=$(sed -n 's/.*user \([0-9.]*\) s.*/\1/p' "$out/baseline.txt")
cu=$(sed -n 's/.*user \([0-9.]*\) s.*/\1/p' "$out/consumer.txt")
awk -v b="$bu" -v c="$cu" 'BEGIN { printf "ratio (consumer / baseline, user CPU): %.2f\n", c / b }'
