<?php

declare(strict_types=1);

namespace Werun;

/** What Werun::openData() returns (readonly): the verified plaintext JSON. */
final class OpenData
{
    public function __construct(
        /** The decrypted JSON text, as WeChat wrote it. */
        public readonly string $json,
        /** The watermark's Unix time; null only when the payload had none (possible only with skipAppidCheck: true). */
        public readonly ?int $watermarkTimestamp,
    ) {
    }

    /**
     * The JSON decoded into arrays (what EasyWeChat's decryptSession() returns).
     *
     * @return array<mixed>
     */
    public function toArray(): array
    {
        $data = json_decode($this->json, true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
        if (!is_array($data)) {
            throw new \UnexpectedValueException('werun: the open data is JSON ' . get_debug_type($data) . ', not an object: read $json');
        }
        return $data;
    }
}
