//! The fixes' report: one line per pass of the pipeline, saying what it touched and why.
//!
//! Every step that changes the description ([`crate::fix::FIXES`]) or the generated code
//! ([`crate::generate::PASSES`]) declares a [`Pass`] beside its function: its name, the unit it
//! counts and the defect it works around. The two tables run the steps in order and add one
//! [`Line`] each to a [`Report`]; `cargo xtask regen` commits the report as `openapi/fixes.txt`
//! and the build writes it beside the generated code. Nothing else lists the passes.

/// A named step of the pipeline, as the report shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pass {
    /// The step's name (its function's name).
    pub name: &'static str,
    /// What its count counts (`operations`, `schemas`, `enums`, …).
    pub unit: &'static str,
    /// The defect it works around, in one sentence.
    pub why: &'static str,
}

/// One line of the fixes' report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The fix's name (its function's name).
    pub name: &'static str,
    /// How many things it touched.
    pub count: usize,
    /// What those things are (`operations`, `schemas`, `properties`, …).
    pub unit: &'static str,
    /// The defect it works around, in one sentence.
    pub why: &'static str,
}

/// What every fix touched, in pipeline order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// One line per fix, in the order they ran.
    pub lines: Vec<Line>,
}

impl Report {
    /// Adds the line of `pass`, which touched `count` things.
    pub fn push(&mut self, pass: &Pass, count: usize) {
        self.lines.push(Line {
            name: pass.name,
            count,
            unit: pass.unit,
            why: pass.why,
        });
    }

    /// The count a fix reported, if it ran.
    pub fn count(&self, name: &str) -> Option<usize> {
        self.lines.iter().find(|l| l.name == name).map(|l| l.count)
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for l in &self.lines {
            writeln!(f, "{:<28} {:>5} {:<11} {}", l.name, l.count, l.unit, l.why)?;
        }
        Ok(())
    }
}
