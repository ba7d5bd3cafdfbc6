<?php

declare(strict_types=1);

namespace Werun;

/** maxAge was given and the watermark is too old, in the future, or missing. */
final class WatermarkExpiredException extends WerunException
{
    public const STATUS = Status::WATERMARK_EXPIRED;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
