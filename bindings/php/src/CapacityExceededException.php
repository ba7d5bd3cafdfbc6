<?php

declare(strict_types=1);

namespace Werun;

/** More step entries than maxSteps. */
final class CapacityExceededException extends WerunException
{
    public const STATUS = Status::CAPACITY_EXCEEDED;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
