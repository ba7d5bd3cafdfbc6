<?php

declare(strict_types=1);

namespace Werun;

/**
 * Decrypts WeChat WeRun (wx.getWeRunData) step data and other open data, over libwerun's C
 * ABI through FFI.
 *
 *     $data = Werun::decryptSteps($sessionKey, $iv, $encryptedData, appid: 'wx4f4bc4dec97d474b');
 *     foreach ($data->steps as $day) { echo $day->timestamp, ' ', $day->step, "\n"; }
 *
 * Everything (base64, AES-128-CBC, PKCS#7, JSON, the appid and freshness checks) happens in
 * the library; this class checks the arguments, passes the strings' own bytes and builds the
 * result objects. A failure throws the WerunException subclass of its status.
 */
final class Werun
{
    /** A step array of this many entries holds every real payload (31 entries). */
    public const DEFAULT_CAPACITY = Abi::DEFAULT_CAPACITY;
    /** The most candidate session keys one decryptSteps() call takes. */
    public const MAX_CANDIDATE_KEYS = Abi::MAX_CANDIDATE_KEYS;
    /** The ABI version this package was generated for (the library must report the same). */
    public const ABI_VERSION = Abi::ABI_VERSION;

    private const STATUS_CAPACITY_EXCEEDED = 10;
    /** Scratch up to this size is kept for the next call; larger inputs get one of their own. */
    private const KEPT_SCRATCH_MAX = 65536;
    private const OPTIONS_CACHE_MAX = 64;

    // Buffers reused from call to call (one set per process, or per request under PHP-FPM).
    // The library wipes the scratch before it returns and zeroes the steps on failure; a call
    // reads its outputs before it returns.
    private static ?\FFI $ffi = null;
    private static \FFI\CData $steps;
    private static \FFI\CData $stepsI64;
    private static \FFI\CData $stepsU32;
    private static \FFI\CData $summary;
    private static \FFI\CData $summaryI64;
    private static \FFI\CData $summaryU8;
    private static \FFI\CData $openResult;
    private static \FFI\CData $diagnosis;
    private static \FFI\CData $keyIndex;
    private static \FFI\CData $scratch;
    private static int $scratchLen = 0;
    /** The longest input the kept scratch is known to fit. */
    private static int $fitsInput = -1;
    /** @var array<string, array{0: \FFI\CData, 1: ?\FFI\CData}> options without freshness, by (strict, appid) */
    private static array $options = [];

    private function __construct()
    {
    }

    /**
     * Decrypts WeRun data (encryptedData from wx.getWeRunData) and returns its steps.
     *
     * @param string|list<string> $sessionKey the session_key from code2Session, base64; or 1 to
     *     MAX_CANDIDATE_KEYS candidate keys tried in order (the current one, then the one a new
     *     wx.login replaced): the result's keyIndex says which worked
     * @param string $iv the iv sent with the data, base64
     * @param string $encryptedData the encryptedData, base64 (damage from URL-decoding repaired
     *     unless strictBase64)
     * @param ?string $appid your mini-program's appid (wx…), compared byte for byte with the
     *     watermark's: required unless skipAppidCheck is true
     * @param bool $skipAppidCheck true to skip the appid check (and accept a payload without a
     *     watermark); only together with no appid
     * @param ?int $maxAge the largest watermark age accepted, seconds; null: no freshness check
     * @param ?int $now the current Unix time for maxAge (default time())
     * @param bool $strictBase64 read base64 strictly (RFC 4648, canonical) instead of repairing it
     * @param ?int $maxSteps the most entries accepted (CapacityExceededException beyond);
     *     null: every entry
     *
     * @throws WerunException the subclass of the status (DecryptFailedException, ...)
     * @throws \ValueError|\TypeError for arguments outside these rules (before any decryption)
     */
    public static function decryptSteps(
        string|array $sessionKey,
        string $iv,
        string $encryptedData,
        ?string $appid = null,
        bool $skipAppidCheck = false,
        ?int $maxAge = null,
        ?int $now = null,
        bool $strictBase64 = false,
        ?int $maxSteps = null,
    ): WeRunData {
        $options = self::options($appid, $skipAppidCheck, $maxAge, $now, $strictBase64, __FUNCTION__);
        if ($maxSteps !== null && $maxSteps < 0) {
            throw new \ValueError("Werun::decryptSteps(): maxSteps must be >= 0 or null, got $maxSteps");
        }
        if (is_array($sessionKey)) {
            return self::decryptWithKeys($sessionKey, $iv, $encryptedData, $options[0], $maxSteps);
        }
        $f = self::$ffi ?? self::init();
        $n = strlen($encryptedData);
        if ($n <= self::$fitsInput) {
            $scratch = self::$scratch;
            $scratchLen = self::$scratchLen;
        } else {
            [$scratch, $scratchLen] = self::scratchFor((int) $f->werun_scratch_len($n), $n);
        }
        $steps = self::$steps;
        $status = self::STATUS_CAPACITY_EXCEEDED;
        if ($maxSteps === null || $maxSteps <= Abi::DEFAULT_CAPACITY) {
            $status = $f->werun_decrypt_steps($sessionKey, strlen($sessionKey), $iv, strlen($iv), $encryptedData, $n,
                $options[0], $scratch, $scratchLen, $steps, $maxSteps ?? Abi::DEFAULT_CAPACITY, self::$summary);
        }
        if ($status === self::STATUS_CAPACITY_EXCEEDED && ($maxSteps === null || $maxSteps > Abi::DEFAULT_CAPACITY)) {
            // The rare payload with more entries than DEFAULT_CAPACITY: a bigger array. Every
            // entry is at least {"step":0,"timestamp":0} (24 bytes) of plaintext, so this many
            // hold them all.
            $fitsAll = intdiv((int) $f->werun_scratch_len($n), 16) + 1;
            $capacity = $maxSteps === null ? $fitsAll : min($maxSteps, $fitsAll);
            $steps = $f->new("werun_step[$capacity]");
            $status = $f->werun_decrypt_steps($sessionKey, strlen($sessionKey), $iv, strlen($iv), $encryptedData, $n,
                $options[0], $scratch, $scratchLen, $steps, $capacity, self::$summary);
        }
        if ($status !== 0) {
            throw WerunException::fromStatus($status);
        }
        return self::result($steps, 0);
    }

    /**
     * Decrypts any WeChat open data (phone number, user info, share info, WeRun data), checks
     * its watermark as decryptSteps() does, and returns the plaintext JSON (toArray() decodes it).
     *
     * @throws WerunException the subclass of the status
     */
    public static function openData(
        string $sessionKey,
        string $iv,
        string $encryptedData,
        ?string $appid = null,
        bool $skipAppidCheck = false,
        ?int $maxAge = null,
        ?int $now = null,
        bool $strictBase64 = false,
    ): OpenData {
        $options = self::options($appid, $skipAppidCheck, $maxAge, $now, $strictBase64, __FUNCTION__);
        $f = self::$ffi ?? self::init();
        $n = strlen($encryptedData);
        [$scratch, $scratchLen] = self::scratchFor((int) $f->werun_scratch_len($n), $n);
        $result = self::$openResult;
        $status = $f->werun_open_data($sessionKey, strlen($sessionKey), $iv, strlen($iv), $encryptedData, $n,
            $options[0], $scratch, $scratchLen, $result);
        if ($status !== 0) {
            throw WerunException::fromStatus($status);
        }
        $r = $result[0];
        $length = $r->json_len;
        try {
            $json = \FFI::string($scratch, $length);
        } finally {
            \FFI::memset($scratch, 0, $length); // the plaintext does not outlive the call in our buffers
        }
        return new OpenData($json, $r->has_watermark !== 0 ? $r->watermark_timestamp : null);
    }

    /**
     * For server logs only: the likely cause of a DecryptFailedException (a stale session_key,
     * the wrong iv, not WeRun data, ...). Never tell a client which it was: telling the causes
     * apart is a padding oracle that lets a client forge step counts.
     *
     * @throws WerunException for inputs that cannot be decrypted at all (base64, length)
     */
    public static function diagnose(string $sessionKey, string $iv, string $encryptedData, bool $strictBase64 = false): Diagnosis
    {
        $f = self::$ffi ?? self::init();
        $n = strlen($encryptedData);
        [$scratch, $scratchLen] = self::scratchFor((int) $f->werun_scratch_len($n), $n);
        $status = $f->werun_diagnose($sessionKey, strlen($sessionKey), $iv, strlen($iv), $encryptedData, $n,
            $strictBase64 ? Abi::OPTION_STRICT_BASE64 : 0, $scratch, $scratchLen, self::$diagnosis);
        if ($status !== 0) {
            throw WerunException::fromStatus($status);
        }
        return Diagnosis::from(self::$diagnosis[0]);
    }

    /** The library's version (werun_version(), e.g. "0.1.0"). */
    public static function libraryVersion(): string
    {
        return (self::$ffi ?? self::init())->werun_version();
    }

    // --- internals ------------------------------------------------------------------------

    private static function init(): \FFI
    {
        $f = Ffi::get();
        self::$steps = $f->new('werun_step[' . Abi::DEFAULT_CAPACITY . ']');
        self::$summary = $f->new('werun_summary[1]');
        self::$ffi = $f;
        [self::$stepsI64, self::$stepsU32] = self::views(self::$steps);
        // werun_summary: size_t count, int64_t watermark_timestamp, uint8_t has_watermark.
        self::$summaryI64 = $f->cast('int64_t *', \FFI::addr(self::$summary[0]));
        self::$summaryU8 = $f->cast('uint8_t *', \FFI::addr(self::$summary[0]));
        self::$openResult = $f->new('werun_open_data_result[1]');
        self::$diagnosis = $f->new('uint32_t[1]');
        self::$keyIndex = $f->new('size_t[1]');
        self::$scratch = $f->new('uint8_t[4096]');
        self::$scratchLen = 4096;
        self::$fitsInput = -1;
        self::$options = [];
        return $f;
    }

    /**
     * A scratch of at least $need bytes for an input of $inputLength: the kept one (grown up
     * to KEPT_SCRATCH_MAX), or one for this call.
     *
     * @return array{0: \FFI\CData, 1: int}
     */
    private static function scratchFor(int $need, int $inputLength): array
    {
        if ($need > self::KEPT_SCRATCH_MAX) {
            return [self::$ffi->new('uint8_t[' . max($need, 1) . ']'), $need];
        }
        if ($need > self::$scratchLen) {
            $size = min(self::KEPT_SCRATCH_MAX, max($need, 2 * self::$scratchLen));
            self::$scratch = self::$ffi->new("uint8_t[$size]");
            self::$scratchLen = $size;
            self::$fitsInput = -1;
        }
        self::$fitsInput = max(self::$fitsInput, $inputLength);
        return [self::$scratch, self::$scratchLen];
    }

    /**
     * Steps and watermark from the summary of the call that just succeeded; $stepArray's
     * entries read through int64_t and uint32_t views of its memory (a read of a scalar
     * element is a PHP int; a struct element would be an FFI object per read).
     */
    private static function result(\FFI\CData $stepArray, int $keyIndex): WeRunData
    {
        $count = self::$summaryI64[0];
        $steps = [];
        if ($count > 0) {
            [$i64, $u32] = $stepArray === self::$steps ? [self::$stepsI64, self::$stepsU32] : self::views($stepArray);
            for ($i = 0; $i < $count; $i++) {
                $steps[] = new Step($i64[2 * $i], $u32[4 * $i + 2]);
            }
        }
        return new WeRunData($steps, self::$summaryU8[16] !== 0 ? self::$summaryI64[1] : null, $keyIndex);
    }

    /**
     * int64_t and uint32_t views of a werun_step array (the timestamp of entry i is int64
     * 2i, its step uint32 4i+2: Ffi checked the layout).
     *
     * @return array{0: \FFI\CData, 1: \FFI\CData}
     */
    private static function views(\FFI\CData $array): array
    {
        $first = \FFI::addr($array[0]);
        return [self::$ffi->cast('int64_t *', $first), self::$ffi->cast('uint32_t *', $first)];
    }

    /**
     * The werun_options for these arguments, checked (all before any foreign call), with the
     * appid buffer it points into.
     *
     * @return array{0: \FFI\CData, 1: ?\FFI\CData}
     */
    private static function options(?string $appid, bool $skipAppidCheck, ?int $maxAge, ?int $now, bool $strict, string $fn): array
    {
        if ($appid === null && !$skipAppidCheck) {
            throw new \ArgumentCountError("Werun::$fn(): pass appid: 'wx…' (your mini-program's appid, which the "
                . 'watermark must carry), or skipAppidCheck: true to skip the check');
        }
        if ($appid !== null && $skipAppidCheck) {
            throw new \ValueError("Werun::$fn(): appid and skipAppidCheck: true contradict each other: pass one");
        }
        if ($maxAge === null) {
            if ($now !== null) {
                throw new \ValueError("Werun::$fn(): now is the time maxAge is measured at: pass maxAge too");
            }
            $key = ($strict ? '1' : '0') . ($appid === null ? '-' : '+' . $appid);
            if (isset(self::$options[$key])) {
                return self::$options[$key];
            }
            if (count(self::$options) >= self::OPTIONS_CACHE_MAX) {
                self::$options = []; // a server has one appid, or a few: a bound, not an eviction policy
            }
            return self::$options[$key] = self::makeOptions($appid, $strict ? Abi::OPTION_STRICT_BASE64 : 0, 0, 0);
        }
        if ($maxAge < 0) {
            throw new \ValueError("Werun::$fn(): maxAge must be >= 0 seconds, got $maxAge");
        }
        $flags = ($strict ? Abi::OPTION_STRICT_BASE64 : 0) | Abi::OPTION_CHECK_FRESHNESS;
        return self::makeOptions($appid, $flags, $now ?? time(), $maxAge);
    }

    /** @return array{0: \FFI\CData, 1: ?\FFI\CData} */
    private static function makeOptions(?string $appid, int $flags, int $now, int $maxAge): array
    {
        $f = self::$ffi ?? self::init();
        $options = $f->new('werun_options[1]');
        $buffer = null;
        if ($appid === null) {
            $flags |= Abi::OPTION_SKIP_APPID_CHECK;
        } else {
            // Never NULL, even for an empty appid (NULL means "no appid given").
            $n = strlen($appid);
            $buffer = $f->new('uint8_t[' . ($n + 1) . ']');
            if ($n > 0) {
                \FFI::memcpy($buffer, $appid, $n);
            }
            $options[0]->appid = $f->cast('const uint8_t *', $buffer);
            $options[0]->appid_len = $n;
        }
        $options[0]->flags = $flags;
        $options[0]->now = $now;
        $options[0]->max_age = $maxAge;
        return [$options, $buffer];
    }

    /** @param array<mixed> $sessionKeys */
    private static function decryptWithKeys(array $sessionKeys, string $iv, string $encryptedData, \FFI\CData $options, ?int $maxSteps): WeRunData
    {
        $count = count($sessionKeys);
        if ($count < 1 || $count > Abi::MAX_CANDIDATE_KEYS) {
            throw new \ValueError('Werun::decryptSteps(): sessionKey must be a string or a list of 1 to '
                . Abi::MAX_CANDIDATE_KEYS . " candidate keys, got $count");
        }
        if (!array_is_list($sessionKeys)) {
            throw new \ValueError('Werun::decryptSteps(): the candidate keys must be a list (tried in order), not an array with keys');
        }
        foreach ($sessionKeys as $i => $key) {
            if (!is_string($key)) {
                throw new \TypeError("Werun::decryptSteps(): sessionKey[$i] must be a string, " . get_debug_type($key) . ' given');
            }
        }
        $f = self::$ffi ?? self::init();
        $n = strlen($encryptedData);
        [$scratch, $scratchLen] = self::scratchFor((int) $f->werun_scratch_len_with_keys($n), -1);
        // The keys are copied into memory of ours (werun_bytes points to it), wiped afterwards.
        $candidates = $f->new("werun_bytes[$count]");
        $copies = [];
        foreach ($sessionKeys as $i => $key) {
            $len = strlen($key);
            $copies[$i] = $copy = $f->new('uint8_t[' . ($len + 1) . ']');
            if ($len > 0) {
                \FFI::memcpy($copy, $key, $len);
            }
            $candidates[$i]->ptr = $f->cast('const uint8_t *', $copy);
            $candidates[$i]->len = $len;
        }
        try {
            $capacity = $maxSteps === null || $maxSteps > Abi::DEFAULT_CAPACITY ? Abi::DEFAULT_CAPACITY : $maxSteps;
            $steps = self::$steps;
            if ($maxSteps !== null && $maxSteps > Abi::DEFAULT_CAPACITY) {
                $capacity = min($maxSteps, intdiv((int) $f->werun_scratch_len($n), 16) + 1);
                $steps = $f->new("werun_step[$capacity]");
            }
            $status = $f->werun_decrypt_steps_with_keys($candidates, $count, $iv, strlen($iv), $encryptedData, $n,
                $options, $scratch, $scratchLen, $steps, $capacity, self::$summary, self::$keyIndex);
            if ($status === self::STATUS_CAPACITY_EXCEEDED && $maxSteps === null) {
                // As in decryptSteps(): an array that holds every entry (never a truncated list).
                $capacity = intdiv((int) $f->werun_scratch_len($n), 16) + 1;
                $steps = $f->new("werun_step[$capacity]");
                $status = $f->werun_decrypt_steps_with_keys($candidates, $count, $iv, strlen($iv), $encryptedData, $n,
                    $options, $scratch, $scratchLen, $steps, $capacity, self::$summary, self::$keyIndex);
            }
        } finally {
            foreach ($copies as $i => $copy) {
                \FFI::memset($copy, 0, strlen($sessionKeys[$i]) + 1);
            }
        }
        if ($status !== 0) {
            throw WerunException::fromStatus($status);
        }
        return self::result($steps, (int) self::$keyIndex[0]);
    }
}
