<?php

declare(strict_types=1);

namespace Werun;

/** A bug was caught inside the library (should never be seen: please report it). */
final class InternalException extends WerunException
{
    public const STATUS = Status::INTERNAL;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
