<?php

declare(strict_types=1);

namespace Werun;

/** An argument was out of range for the C ABI (this binding checks its own first). */
final class InvalidArgumentException extends WerunException
{
    public const STATUS = Status::INVALID_ARGUMENT;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
