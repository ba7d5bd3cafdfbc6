<?php

declare(strict_types=1);

namespace Werun;

/** The iv is not base64 of 16 bytes (wxCode -41002). */
final class IvInvalidException extends WerunException
{
    public const STATUS = Status::IV_INVALID;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
