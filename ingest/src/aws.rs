//! AWS SDK configuration from `[aws]`: the standard credential chain (environment, shared
//! profile, web identity, container and instance metadata), region and endpoint override.
//! Credentials are resolved by the SDK and never pass through gatewatch's own logs.

use crate::config::AwsConfig;

pub async fn sdk_config(cfg: &AwsConfig) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if !cfg.region.is_empty() {
        loader = loader.region(aws_config::Region::new(cfg.region.clone()));
    }
    if !cfg.endpoint_url.is_empty() {
        loader = loader.endpoint_url(cfg.endpoint_url.clone());
    }
    if !cfg.profile.is_empty() {
        loader = loader.profile_name(cfg.profile.clone());
    }
    // The SDK sets no read or attempt timeout by default: a black-holed connection would hang
    // its shard forever while the lease stays renewed.
    let attempt = std::time::Duration::from_secs(cfg.timeout_secs.max(1));
    loader = loader.timeout_config(
        aws_config::timeout::TimeoutConfig::builder()
            .connect_timeout(attempt.min(std::time::Duration::from_secs(3)))
            .read_timeout(attempt)
            .operation_attempt_timeout(attempt)
            .build(),
    );
    loader.load().await
}

pub fn kinesis_client(sdk: &aws_config::SdkConfig) -> aws_sdk_kinesis::Client {
    aws_sdk_kinesis::Client::new(sdk)
}

pub fn logs_client(sdk: &aws_config::SdkConfig) -> aws_sdk_cloudwatchlogs::Client {
    aws_sdk_cloudwatchlogs::Client::new(sdk)
}

/// A short description of an SDK error of any AWS service (they share one error type): the
/// service's error code (also returned) and message when there is one, else the transport
/// failure (the full debug form repeats request details).
pub fn describe<E, R>(e: &aws_sdk_kinesis::error::SdkError<E, R>) -> (Option<String>, String)
where
    E: aws_sdk_kinesis::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    use aws_sdk_kinesis::error::SdkError;
    match e {
        SdkError::ServiceError(s) => {
            let err = s.err();
            (
                err.code().map(str::to_string),
                format!("{}: {}", err.code().unwrap_or("service error"), err.message().unwrap_or("")),
            )
        }
        // The whole chain: "dispatch failure: … : no credentials in the chain" says what to fix.
        other => (None, error_chain(other)),
    }
}

/// An error and its sources, `: `-separated, each once (Display only: the Debug forms repeat
/// whole HTTP responses).
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut src = e.source();
    while let Some(inner) = src {
        let text = inner.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        src = inner.source();
    }
    parts.join(": ")
}

/// Errors that retrying will not mend: a missing resource, refused access, bad or missing
/// credentials. Everything else (throttling, an unreachable endpoint) is worth retrying.
pub fn is_permanent(code: Option<&str>, message: &str) -> bool {
    matches!(
        code,
        Some(
            "ResourceNotFoundException"
                | "AccessDeniedException"
                | "AccessDenied"
                | "UnrecognizedClientException"
                | "InvalidSignatureException"
                | "ExpiredTokenException"
                | "InvalidClientTokenId"
        )
    ) || message.contains("no credentials")
        || message.contains("failed to load credentials")
}
