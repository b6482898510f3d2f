//! A local stand-in for Pinterest.
