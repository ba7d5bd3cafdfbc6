<?php

declare(strict_types=1);

namespace Werun;

/** A required pointer was NULL (never thrown by this binding: it passes none). */
final class NullArgumentException extends WerunException
{
    public const STATUS = Status::NULL_ARGUMENT;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
