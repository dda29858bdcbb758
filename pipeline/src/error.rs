//! Why a pipeline stopped before its source ran out.

/// Any error a stage function may report as fatal.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The first fatal failure of a run, named after the stage it happened in.
///
/// Per-item failures are not here: they travel on as items (for example
/// `Result<Answer, LookupError>`) and reach the sink like any other output.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A stage added with [`crate::Pipeline::try_stage`] yielded an `Err`.
    #[error("pipeline stage `{stage}` failed: {source}")]
    Stage {
        stage: String,
        #[source]
        source: BoxError,
    },
    /// A worker (or the source iterator) panicked; the panic was caught.
    #[error("a worker of pipeline stage `{stage}` panicked: {message}")]
    Panic { stage: String, message: String },
    /// The operating system refused to start a thread.
    #[error("could not start a thread for pipeline stage `{stage}`: {source}")]
    Spawn {
        stage: String,
        #[source]
        source: std::io::Error,
    },
}

impl PipelineError {
    /// The name of the stage that failed ("source" for the source iterator).
    pub fn stage(&self) -> &str {
        match self {
            PipelineError::Stage { stage, .. }
            | PipelineError::Panic { stage, .. }
            | PipelineError::Spawn { stage, .. } => stage,
        }
    }
}

/// The text of a caught panic payload (`panic!` with a literal or a format).
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic with a non-text payload".to_string()
    }
}
