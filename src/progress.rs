//! How a long job reports progress (build stages, items done).

/// How a build goes (for progress output).
pub trait Progress: Sync {
    /// A stage starts; `total` is the number of items when known.
    fn stage(&self, name: &str, total: usize);
    /// One item of the current stage is done.
    fn tick(&self);
}

/// No progress output.
pub struct Quiet;
impl Progress for Quiet {
    fn stage(&self, _: &str, _: usize) {}
    fn tick(&self) {}
}
