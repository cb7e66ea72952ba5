//! The failure policy, in one place: what each failure does to a delivery (dead-letter or
//! retry) and to the session (reconnect or stop).

use crate::amqp::{self, AmqpError};
use crate::message::DecodeError;

/// Why one delivery could not be published as enriched output.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error("the pipeline panicked: {0}")]
    Panic(String),
    #[error("publishing the output failed: {0}")]
    Publish(AmqpError),
    #[error("delivered {0} times without success")]
    DeliveryLimit(u32),
    /// The broker returned the output: no queue is bound for its routing key.
    #[error(
        "the output to exchange {exchange} with routing key {routing_key} was unroutable ({reply})"
    )]
    Unroutable {
        exchange: String,
        routing_key: String,
        reply: String,
    },
}

impl Failure {
    /// Stable machine-readable reason (dead-letter header, metric label).
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Decode(e) => e.kind(),
            Failure::Panic(_) => "pipeline_panic",
            Failure::Publish(_) => "publish_failed",
            Failure::DeliveryLimit(_) => "delivery_limit",
            Failure::Unroutable { .. } => "unroutable",
        }
    }
}

/// What happens to a delivery that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Publish the original to the dead-letter exchange with the reason, then ack.
    DeadLetter,
    /// Give it back to the queue (it will be delivered again, possibly to another worker).
    Retry,
}

/// The error policy, in one place: bad input and pipeline bugs are not going to get better
/// by retrying; broker trouble is. An unroutable output is a missing binding, which retrying
/// would only turn into a hot loop: the input is dead-lettered, where an operator can replay
/// it once the binding exists.
pub fn disposition(failure: &Failure) -> Disposition {
    match failure {
        Failure::Decode(_)
        | Failure::Panic(_)
        | Failure::DeliveryLimit(_)
        | Failure::Unroutable { .. } => Disposition::DeadLetter,
        Failure::Publish(_) => Disposition::Retry,
    }
}

/// What a broker error while setting up a session does to the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionDisposition {
    /// Back off and reconnect: the broker went away or is restarting.
    Reconnect,
    /// Stop the worker: retrying cannot fix the configuration or the permissions.
    Stop,
}

/// A topology conflict (the queue or exchange exists with other arguments) or a missing
/// permission stops the worker; anything else is worth a reconnect.
pub fn session_disposition(error: &AmqpError) -> SessionDisposition {
    match error {
        AmqpError::Broker(e) if amqp::is_permanent(e) => SessionDisposition::Stop,
        _ => SessionDisposition::Reconnect,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_and_panics_are_dead_lettered_broker_trouble_is_retried() {
        let decode = Failure::Decode(DecodeError::NotAnObject);
        assert_eq!(disposition(&decode), Disposition::DeadLetter);
        assert_eq!(
            disposition(&Failure::Panic("x".into())),
            Disposition::DeadLetter
        );
        assert_eq!(
            disposition(&Failure::Publish(AmqpError::Nacked)),
            Disposition::Retry
        );
        assert_eq!(
            disposition(&Failure::DeliveryLimit(5)),
            Disposition::DeadLetter
        );
        let unroutable = Failure::Unroutable {
            exchange: "news.enriched".into(),
            routing_key: "article.enriched.en.neutral".into(),
            reply: "312 NO_ROUTE".into(),
        };
        assert_eq!(disposition(&unroutable), Disposition::DeadLetter);
        assert_eq!(unroutable.kind(), "unroutable");
    }

    #[test]
    fn only_lost_connections_reconnect() {
        assert_eq!(
            session_disposition(&AmqpError::Nacked),
            SessionDisposition::Reconnect
        );
        assert_eq!(
            session_disposition(&AmqpError::ConnectTimeout(std::time::Duration::from_secs(
                1
            ))),
            SessionDisposition::Reconnect
        );
    }
}
