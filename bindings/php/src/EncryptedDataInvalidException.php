<?php

declare(strict_types=1);

namespace Werun;

/** The encryptedData is not base64 (wxCode -41004). */
final class EncryptedDataInvalidException extends WerunException
{
    public const STATUS = Status::ENCRYPTED_DATA_INVALID;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
