<?php

declare(strict_types=1);

namespace Werun;

/** The decoded encryptedData is empty or not a multiple of 16 bytes (wxCode -41003). */
final class CiphertextLengthException extends WerunException
{
    public const STATUS = Status::CIPHERTEXT_LENGTH;

    /** The message defaults to the library's for this status. */
    public function __construct(?string $message = null, ?\Throwable $previous = null)
    {
        parent::__construct($message ?? self::STATUS->message(), self::STATUS->value, $previous);
    }
}
