<?php

declare(strict_types=1);

namespace Werun;

/**
 * Finding, loading and checking libwerun through PHP's FFI (internal: the API is Werun).
 *
 * The library is looked for, in order:
 *
 *  1. the path in the WERUN_LIBRARY environment variable (nothing else when it is set);
 *  2. the package's own copy, lib/<os>-<arch>/libwerun.so (linux-x86_64, linux-aarch64);
 *  3. target/release/ of the werun checkout, when the package is used from bindings/php.
 *
 * Its werun_abi_version() must equal the header's WERUN_ABI_VERSION, or loading fails with a
 * message that says what to install or configure.
 *
 * Under PHP-FPM the default `ffi.enable=preload` allows FFI only in preloaded code:
 * preload.php (opcache.preload) calls preload(), which declares the library once per server
 * as the FFI scope "WERUN"; every request then finds it with FFI::scope(). Without it (the CLI,
 * or `ffi.enable=1`), the first call declares it with FFI::cdef() for the process.
 *
 * @internal
 */
final class Ffi
{
    public const SCOPE = 'WERUN';

    private static ?\FFI $ffi = null;
    private static string $mode = '';
    private static ?string $library = null;
    /** @var array<int, string> */
    private static array $messages = [];

    /** The FFI instance of libwerun, loaded on first use. */
    public static function get(): \FFI
    {
        return self::$ffi ?? self::open();
    }

    /**
     * How the library was reached: 'scope' (preloaded: FFI::scope("WERUN")) or 'cdef' (this
     * process declared it); loads it when that has not happened yet.
     */
    public static function mode(): string
    {
        self::get();
        return self::$mode;
    }

    /** The path of the library loaded by this process (null when it was preloaded). */
    public static function libraryPath(): ?string
    {
        self::get();
        return self::$library;
    }

    /**
     * For opcache.preload (preload.php calls it): declares libwerun as the FFI scope "WERUN"
     * for every request of the server, and checks it. $library overrides the search.
     *
     * When php.ini's ffi.preload already declared the scope (preloadHeader()), only the check
     * runs. Otherwise FFI::load() declares it, which PHP 8.2 refuses when the server starts as
     * root (it then preloads in a child process as opcache.preload_user): the exception then
     * says to use ffi.preload.
     */
    public static function preload(?string $library = null): void
    {
        self::requireFfi();
        try {
            $ffi = \FFI::scope(self::SCOPE);
        } catch (\FFI\Exception) {
            $ffi = null;
        }
        if ($ffi !== null) {
            self::checkScope($ffi, 'ffi.preload');
            self::$ffi = self::checkLayout($ffi);
            self::$mode = 'scope';
            return;
        }
        $path = self::checkAbi($library ?? self::findLibrary());
        // FFI::load() reads FFI_SCOPE and FFI_LIB from the first lines of a file, and FFI_LIB
        // must be absolute: a private temporary copy of the header that names this library.
        $header = self::preloadHeader($path);
        $file = @tempnam(sys_get_temp_dir(), 'werun-ffi-');
        if ($file === false || @file_put_contents($file, $header) !== strlen($header)) {
            throw new LoadException('werun: cannot write a temporary header for FFI::load() in ' . sys_get_temp_dir()
                . ' (sys_temp_dir): make it writable for the user that starts PHP, or use ffi.preload (vendor/bin/werun-ffi-header)');
        }
        try {
            $ffi = \FFI::load($file);
        } catch (\FFI\Exception $e) {
            throw new LoadException('werun: ' . $e->getMessage() . ' PHP preloads as opcache.preload_user in a child process '
                . 'when the server starts as root, and FFI::load() cannot declare a scope there. Run '
                . '`vendor/bin/werun-ffi-header /path/to/werun.h` (it writes the header for this library and prints the line), '
                . 'and add ffi.preload=/path/to/werun.h to php.ini beside opcache.preload', 0, $e);
        } finally {
            @unlink($file);
        }
        if ($ffi === null) {
            throw new LoadException("werun: FFI::load() could not declare $path (see the warning above); " . self::howToFix());
        }
        self::$ffi = self::checkLayout($ffi);
        self::$mode = 'scope';
        self::$library = $path;
    }

    /**
     * The header for php.ini's ffi.preload (or FFI::load()): werun.ffi.h with FFI_SCOPE
     * "WERUN" and FFI_LIB, the absolute path of $library (default: the one found as at run
     * time). Write it again when the package moves or is updated.
     */
    public static function preloadHeader(?string $library = null): string
    {
        $path = self::checkAbi($library ?? self::findLibrary());
        if (strpbrk($path, "\"\n\r\\") !== false) {
            throw new LoadException("werun: the library path $path has a character FFI_LIB cannot hold (\", \\ or a newline): move it");
        }
        return '#define FFI_SCOPE "' . self::SCOPE . "\"\n#define FFI_LIB \"$path\"\n" . self::declarations();
    }

    /**
     * The paths tried, in order (only WERUN_LIBRARY's when it is set).
     *
     * @return list<string>
     */
    public static function candidates(): array
    {
        $env = getenv('WERUN_LIBRARY');
        if (is_string($env) && $env !== '') {
            return [$env];
        }
        $package = dirname(__DIR__);
        $found = [$package . '/lib/' . self::platform() . '/libwerun.so'];
        $checkout = dirname($package, 2);
        if (is_file("$checkout/Cargo.toml") && is_file("$checkout/include/werun.h")) {
            $found[] = "$checkout/target/release/libwerun.so";
        }
        return $found;
    }

    /** os-arch as the package's lib/ folder names it: linux-x86_64, linux-aarch64. */
    public static function platform(): string
    {
        $arch = strtolower(php_uname('m'));
        $arch = ['amd64' => 'x86_64', 'arm64' => 'aarch64'][$arch] ?? $arch;
        return strtolower(PHP_OS_FAMILY) . '-' . $arch;
    }

    /** The library found by the search of candidates(). */
    public static function findLibrary(): string
    {
        $tried = self::candidates();
        foreach ($tried as $file) {
            if (is_file($file)) {
                return realpath($file) ?: $file;
            }
        }
        $env = getenv('WERUN_LIBRARY');
        if (is_string($env) && $env !== '') {
            throw new LoadException("werun: WERUN_LIBRARY=$env is not a file; point it at libwerun.so "
                . '(built by `make lib` in target/release of the werun repository), or unset it to use the library bundled with the package');
        }
        throw new LoadException('werun: cannot find libwerun.so for ' . self::platform() . ' (looked at: '
            . implode(', ', $tried) . '); ' . self::howToFix());
    }

    /** The declarations of werun.ffi.h, without its FFI_SCOPE line (for FFI::cdef). */
    public static function declarations(): string
    {
        $file = dirname(__DIR__) . '/werun.ffi.h';
        $header = @file_get_contents($file);
        if ($header === false) {
            throw new LoadException("werun: cannot read $file: reinstall the package");
        }
        return (string) preg_replace('~\A(#define FFI_\w+ [^\n]*\n)+~', '', $header);
    }

    public static function statusMessage(int $status): string
    {
        return self::$messages[$status] ??= self::get()->werun_status_str($status & 0xFFFFFFFF);
    }

    public static function statusWxCode(int $status): int
    {
        return self::get()->werun_status_wx_code($status & 0xFFFFFFFF);
    }

    public static function diagnosisMessage(int $diagnosis): string
    {
        return self::get()->werun_diagnosis_str($diagnosis & 0xFFFFFFFF);
    }

    private static function open(): \FFI
    {
        self::requireFfi();
        try {
            $ffi = \FFI::scope(self::SCOPE);
            self::$mode = 'scope';
            self::$library = null;
            self::checkScope($ffi, 'opcache.preload');
            return self::$ffi = self::checkLayout($ffi);
        } catch (\FFI\Exception) {
            // Not preloaded (or FFI restricted): below.
        }
        $enable = strtolower((string) ini_get('ffi.enable'));
        if ($enable === 'preload' && !in_array(PHP_SAPI, ['cli', 'phpdbg', 'embed'], true)) {
            throw new LoadException('werun: ffi.enable=preload (PHP\'s default) allows FFI only in preloaded code, '
                . 'and werun was not preloaded in this ' . PHP_SAPI . ' server. Add to php.ini (then restart PHP-FPM): '
                . 'opcache.preload=' . dirname(__DIR__) . '/preload.php and opcache.preload_user=<the pool\'s user>; '
                . 'or set ffi.enable=1 (FFI for every script)');
        }
        if (!in_array($enable, ['1', 'on', 'true', 'yes', 'preload'], true)) {
            throw new LoadException("werun: FFI is disabled (ffi.enable=$enable): set ffi.enable=preload with "
                . 'opcache.preload=' . dirname(__DIR__) . '/preload.php, or ffi.enable=1, in php.ini');
        }
        $path = self::checkAbi(self::findLibrary());
        try {
            $ffi = \FFI::cdef(self::declarations(), $path);
        } catch (\FFI\Exception $e) {
            throw new LoadException("werun: $path is not libwerun, or is too old ({$e->getMessage()}); " . self::howToFix(), 0, $e);
        }
        self::$mode = 'cdef';
        self::$library = $path;
        return self::$ffi = self::checkLayout($ffi);
    }

    /**
     * Werun reads werun_step and werun_summary through int64/uint32/uint8 views (faster than
     * FFI's struct objects): the layout those reads assume, checked once per load.
     */
    private static function checkLayout(\FFI $ffi): \FFI
    {
        $step = $ffi->type('werun_step');
        $summary = $ffi->type('werun_summary');
        $got = [$step->getSize(), $step->getStructFieldOffset('timestamp'), $step->getStructFieldOffset('step'),
            $summary->getStructFieldOffset('count'), $summary->getStructFieldOffset('watermark_timestamp'),
            $summary->getStructFieldOffset('has_watermark')];
        if ($got !== [16, 0, 8, 0, 8, 16]) {
            throw new LoadException('werun: this platform lays out werun_step and werun_summary differently than the binding reads them ('
                . implode(', ', $got) . '): it needs a little-endian 64-bit platform');
        }
        return $ffi;
    }

    /** The ABI version of a preloaded scope (declared by an older package, before an update). */
    private static function checkScope(\FFI $ffi, string $how): void
    {
        $got = $ffi->werun_abi_version();
        if ($got !== Abi::ABI_VERSION) {
            throw new LoadException("werun: the library declared by $how has ABI version $got but this package needs "
                . Abi::ABI_VERSION . ': write the ffi.preload header again (vendor/bin/werun-ffi-header) and restart PHP-FPM');
        }
    }

    /** Loads $path for its werun_abi_version() alone and checks it; returns the absolute path. */
    private static function checkAbi(string $path): string
    {
        if (pack('S', 1) !== "\x01\x00" || PHP_INT_SIZE !== 8) {
            throw new LoadException('werun: this binding reads the library\'s structs as a little-endian 64-bit machine lays them out');
        }
        $absolute = realpath($path);
        if ($absolute === false || !is_file($absolute)) {
            throw new LoadException("werun: $path is not a file; " . self::howToFix());
        }
        try {
            $probe = \FFI::cdef('uint32_t werun_abi_version(void);', $absolute);
        } catch (\FFI\Exception $e) {
            throw new LoadException("werun: cannot load $absolute ({$e->getMessage()}): it is not libwerun for "
                . self::platform() . ', or it needs a newer glibc than 2.17; ' . self::howToFix(), 0, $e);
        }
        $got = $probe->werun_abi_version();
        if ($got !== Abi::ABI_VERSION) {
            throw new LoadException("werun: $absolute has ABI version $got but this package needs " . Abi::ABI_VERSION
                . ': install a matching pair (the library and the werun/werun package of the same werun release); ' . self::howToFix());
        }
        return $absolute;
    }

    private static function requireFfi(): void
    {
        if (!extension_loaded('ffi') || !class_exists(\FFI::class, false)) {
            throw new LoadException('werun: PHP\'s FFI extension is not loaded: install or enable ext-ffi '
                . '(Debian and Ubuntu: it comes with php-cli/php-fpm, enabled by extension=ffi; Docker php images: '
                . 'docker-php-ext-install ffi)');
        }
    }

    private static function howToFix(): string
    {
        $bundled = ['linux-x86_64', 'linux-aarch64'];
        return (in_array(self::platform(), $bundled, true)
                ? 'reinstall werun/werun with Composer (the package carries libwerun.so for ' . implode(' and ', $bundled) . ')'
                : 'no library is bundled for ' . self::platform())
            . ', or build it with `make lib` in the werun repository and set WERUN_LIBRARY=/path/to/target/release/libwerun.so';
    }
}
