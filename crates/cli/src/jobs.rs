//! `--jobs N`: how many threads read and check files, for the commands that read many.

#[derive(clap::Args)]
pub struct JobsArg {
    /// 并行线程数，缺省为全部核心 (threads; default all cores)
    #[arg(long, short)]
    jobs: Option<usize>,
}

impl JobsArg {
    /// The pool of worker threads; the error is the message to print.
    pub fn pool(&self) -> Result<rayon::ThreadPool, String> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.jobs.unwrap_or(0))
            .build()
            .map_err(|e| e.to_string())
    }
}
