<?php

declare(strict_types=1);

namespace Werun;

/** The watermark is missing or belongs to another appid (wxCode -41003). */
final class AppidMismatchException extends WerunException
{
    public const STATUS = Status::APPID_MISMATCH;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
