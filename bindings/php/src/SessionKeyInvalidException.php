<?php

declare(strict_types=1);

namespace Werun;

/** The session_key is not base64 of 16 bytes (wxCode -41001). */
final class SessionKeyInvalidException extends WerunException
{
    public const STATUS = Status::SESSION_KEY_INVALID;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
