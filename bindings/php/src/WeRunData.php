<?php

declare(strict_types=1);

namespace Werun;

/** What Werun::decryptSteps() returns (readonly). */
final class WeRunData
{
    public function __construct(
        /** @var list<Step> The entries in document order (oldest first in real data). */
        public readonly array $steps,
        /** The watermark's Unix time; null only when the payload had none (possible only with skipAppidCheck: true). */
        public readonly ?int $watermarkTimestamp,
        /** The index of the candidate session key that decrypted the data (0 for a single key). */
        public readonly int $keyIndex = 0,
    ) {
    }
}
