<?php

declare(strict_types=1);

namespace Werun;

/** A scratch buffer was too small (never thrown by this binding: it sizes them). */
final class BufferTooSmallException extends WerunException
{
    public const STATUS = Status::BUFFER_TOO_SMALL;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
