<?php

declare(strict_types=1);

namespace Werun;

/** Bad padding, not UTF-8, not JSON or not the expected shape: a stale session_key, the wrong iv, or altered data (wxCode -41003). One exception on purpose: Werun::diagnose() tells the cause to your logs, never to a client. */
final class DecryptFailedException extends WerunException
{
    public const STATUS = Status::DECRYPT_FAILED;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
