<?php

declare(strict_types=1);

namespace Werun;

/**
 * A payload werun refused, one subclass per werun_status (DecryptFailedException, ...).
 *
 * getCode() is the werun status value (Status::DECRYPT_FAILED->value === 7), getMessage() the
 * library's message with advice, wxCode() the code WeChat's WXBizDataCrypt sample returns for
 * the same input (-41001 to -41004). The message names no secret and is safe to log; answer a
 * client with one generic error (docs/security.md).
 */
class WerunException extends \RuntimeException
{
    /** The status of this class (null on the base class). */
    public const STATUS = null;

    /** @internal The exception for a non-OK status value (thrown by Werun). */
    public static function fromStatus(int $status): self
    {
        $case = Status::tryFrom($status);
        if ($case === null || $case === Status::OK) {
            return new self(Ffi::statusMessage($status), $status);
        }
        $class = self::classFor($case);
        return new $class();
    }

    /**
     * The exception class of a status.
     *
     * @return class-string<WerunException>
     */
    public static function classFor(Status $status): string
    {
        return match ($status) {
            Status::OK => throw new \ValueError('werun: OK is not a failure'),
            Status::NULL_ARGUMENT => NullArgumentException::class,
            Status::SESSION_KEY_INVALID => SessionKeyInvalidException::class,
            Status::IV_INVALID => IvInvalidException::class,
            Status::ENCRYPTED_DATA_INVALID => EncryptedDataInvalidException::class,
            Status::CIPHERTEXT_LENGTH => CiphertextLengthException::class,
            Status::BUFFER_TOO_SMALL => BufferTooSmallException::class,
            Status::DECRYPT_FAILED => DecryptFailedException::class,
            Status::APPID_MISMATCH => AppidMismatchException::class,
            Status::WATERMARK_EXPIRED => WatermarkExpiredException::class,
            Status::CAPACITY_EXCEEDED => CapacityExceededException::class,
            Status::INTERNAL => InternalException::class,
            Status::INVALID_ARGUMENT => InvalidArgumentException::class,
        };
    }

    /** The werun status (getCode() as a Status), or null for a value this package does not know. */
    public function status(): ?Status
    {
        return Status::tryFrom($this->getCode());
    }

    /** The code WeChat's WXBizDataCrypt sample returns for the same input: -41001 to -41004. */
    public function wxCode(): int
    {
        return Ffi::statusWxCode($this->getCode());
    }
}
