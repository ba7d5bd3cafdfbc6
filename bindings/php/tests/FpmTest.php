<?php

// The package under a real PHP-FPM (Debian's php-fpm), as production runs it: ffi.enable=preload
// (FFI only in preloaded code), the classes and the FFI scope from preload.php through
// opcache.preload, a page that decrypts a payload POSTed through FastCGI (cgi-fcgi, from
// libfcgi-bin), over a unix socket, with a temporary configuration. Three servers:
//
//   - started as root (when the tests are), workers as nobody: ffi.preload names the header
//     vendor/bin/werun-ffi-header wrote (PHP 8.2 preloads in a child process there);
//   - started as an unprivileged user: preload.php alone (FFI::load());
//   - no preload: the page gets the LoadException that says which php.ini lines to add.
//
// php-fpm and cgi-fcgi are required (.ci/install-php.sh installs them): without them the tests
// fail, they do not skip.

declare(strict_types=1);

namespace Werun\Tests;

use PHPUnit\Framework\TestCase;

final class FpmTest extends TestCase
{
    private static string $copy;
    private static string $app;

    public static function setUpBeforeClass(): void
    {
        self::$copy = installedCopy('fpm');
        self::$app = dirname(self::$copy, 3); // the project: vendor/ and public/
        file_put_contents(self::$app . '/vendor/autoload.php', "<?php\n" . autoloadCode(self::$copy . '/src') . "\n");
        mkdir(self::$app . '/public', 0755);
        file_put_contents(self::$app . '/public/steps.php', <<<'PAGE'
            <?php
            declare(strict_types=1);
            $preloaded = class_exists(Werun\Werun::class, false); // before any autoloading
            require __DIR__ . '/../vendor/autoload.php';
            header('Content-Type: text/plain');
            $in = json_decode((string) file_get_contents('php://input'), true);
            echo 'sapi=', PHP_SAPI, ' ffi.enable=', ini_get('ffi.enable'), ' preloaded=', $preloaded ? 'yes' : 'no',
                ' WERUN_LIBRARY=', getenv('WERUN_LIBRARY') === false ? 'unset' : 'set', "\n";
            try {
                $data = Werun\Werun::decryptSteps($in['session_key'], $in['iv'], $in['encrypted_data'], appid: $in['appid']);
                echo 'mode=', Werun\Ffi::mode(), ' watermark=', $data->watermarkTimestamp, "\n";
                foreach ($data->steps as $day) {
                    echo $day->timestamp, ' ', $day->step, "\n";
                }
                try {
                    Werun\Werun::decryptSteps($in['session_key'], $in['iv'], $in['encrypted_data'], appid: 'wx0000000000000000');
                } catch (Werun\WerunException $e) {
                    echo get_class($e), ' ', $e->getCode(), ' ', $e->wxCode(), "\n";
                }
            } catch (Werun\LoadException $e) {
                echo 'LoadException: ', $e->getMessage(), "\n";
            }
            PAGE);
        chmod(self::$app . '/public/steps.php', 0644);
        [$status, $out, $err] = php([self::$copy . '/bin/werun-ffi-header'], ['WERUN_LIBRARY' => null]);
        if ($status !== 0) {
            throw new \RuntimeException("werun-ffi-header failed: $out$err");
        }
    }

    private static function fpmBinary(): string
    {
        $version = PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
        foreach (["php-fpm$version", 'php-fpm'] as $name) {
            foreach ([...explode(':', (string) getenv('PATH')), '/usr/sbin', '/usr/local/sbin'] as $dir) {
                if ($dir !== '' && is_executable("$dir/$name")) {
                    return "$dir/$name";
                }
            }
        }
        self::fail("no php-fpm$version: install it (.ci/install-php.sh installs php-fpm, libfcgi-bin)");
    }

    /**
     * Starts php-fpm with these php.ini lines; runs the block with the socket; stops it.
     *
     * @param array<string, string> $ini
     */
    private static function withServer(array $ini, bool $unprivileged, \Closure $block): void
    {
        $dir = tempDir('fpm-run', 0777);
        $root = posix_geteuid() === 0;
        $iniText = '';
        foreach ($ini + ['opcache.enable' => '1', 'opcache.memory_consumption' => '16', 'error_log' => "$dir/php.log",
            'log_errors' => '1', 'display_errors' => '0'] as $k => $v) {
            $iniText .= "$k=$v\n";
        }
        file_put_contents("$dir/php.ini", $iniText);
        $pool = $root && !$unprivileged ? "user = nobody\ngroup = nogroup\n" : '';
        file_put_contents("$dir/fpm.conf", <<<CONF
            [global]
            pid = $dir/fpm.pid
            error_log = $dir/fpm.log
            daemonize = no
            [www]
            {$pool}listen = $dir/fpm.sock
            listen.mode = 0666
            pm = static
            pm.max_children = 1
            catch_workers_output = yes
            clear_env = yes
            CONF);
        $command = [self::fpmBinary(), '--nodaemonize', '-c', "$dir/php.ini", '-y', "$dir/fpm.conf"];
        if ($root && $unprivileged) {
            $command = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...$command];
        }
        $env = getenv();
        unset($env['WERUN_LIBRARY']); // the package's own library, as installed
        $proc = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['file', "$dir/stdout.log", 'w'],
            2 => ['file', "$dir/stderr.log", 'w']], $pipes, $dir, $env);
        self::assertIsResource($proc);
        $logs = static fn (): string => implode("\n", array_map(static fn (string $f): string => "$f: " . @file_get_contents("$dir/$f"),
            ['stdout.log', 'stderr.log', 'fpm.log', 'php.log']));
        try {
            $deadline = microtime(true) + 15;
            while (!file_exists("$dir/fpm.sock")) {
                if (!proc_get_status($proc)['running'] || microtime(true) > $deadline) {
                    self::fail('php-fpm did not start: ' . implode(' ', $command) . "\n" . $logs());
                }
                usleep(20000);
            }
            $block("$dir/fpm.sock", $logs);
        } finally {
            proc_terminate($proc, 3); // SIGQUIT: graceful stop
            $deadline = microtime(true) + 10;
            while (proc_get_status($proc)['running'] && microtime(true) < $deadline) {
                usleep(20000);
            }
            if (proc_get_status($proc)['running']) {
                proc_terminate($proc, 9);
            }
            proc_close($proc);
        }
    }

    /** POSTs the sample to public/steps.php through FastCGI; returns the response body. */
    private static function request(string $socket): string
    {
        $s = vectors()['sample'];
        $body = json_encode(['session_key' => $s['session_key'], 'iv' => $s['iv'], 'encrypted_data' => $s['encrypted_data'],
            'appid' => $s['appid']]);
        $env = ['SCRIPT_FILENAME' => self::$app . '/public/steps.php', 'SCRIPT_NAME' => '/steps.php', 'REQUEST_METHOD' => 'POST',
            'REQUEST_URI' => '/steps.php', 'CONTENT_TYPE' => 'application/json', 'CONTENT_LENGTH' => (string) strlen($body),
            'GATEWAY_INTERFACE' => 'CGI/1.1', 'SERVER_PROTOCOL' => 'HTTP/1.1', 'QUERY_STRING' => '',
            'PATH' => (string) getenv('PATH')];
        $proc = proc_open(['cgi-fcgi', '-bind', '-connect', $socket], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes, null, $env);
        if (!is_resource($proc)) {
            self::fail('cannot run cgi-fcgi: install libfcgi-bin (.ci/install-php.sh)');
        }
        fwrite($pipes[0], $body);
        fclose($pipes[0]);
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        $status = proc_close($proc);
        self::assertSame(0, $status, "cgi-fcgi failed (is libfcgi-bin installed?): $err");
        [$headers, $response] = explode("\r\n\r\n", $out, 2) + [1 => ''];
        self::assertStringContainsString('Content-type: text/plain', $headers, $out);
        return $response;
    }

    private static function expected(): string
    {
        $s = vectors()['sample'];
        $lines = array_map(static fn (array $e): string => "$e[0] $e[1]", $s['expect']['steps']);
        return 'mode=scope watermark=' . $s['expect']['watermark_timestamp'] . "\n" . implode("\n", $lines) . "\n"
            . "Werun\\AppidMismatchException 8 -41003\n";
    }

    private static function preloadIni(): array
    {
        return ['ffi.enable' => 'preload', 'opcache.preload' => self::$copy . '/preload.php', 'opcache.preload_user' => 'nobody'];
    }

    public function testAServerStartedAsRootPreloadsWithFfiPreload(): void
    {
        $ini = self::preloadIni() + ['ffi.preload' => self::$copy . '/werun.preload.h'];
        self::withServer($ini, false, static function (string $socket, \Closure $logs): void {
            foreach ([1, 2, 3] as $n) { // every request of the worker, not only the first
                $body = self::request($socket);
                self::assertSame("sapi=fpm-fcgi ffi.enable=preload preloaded=yes WERUN_LIBRARY=unset\n" . self::expected(), $body,
                    "request $n\n" . $logs());
            }
        });
    }

    public function testAnUnprivilegedServerPreloadsWithThePreloadScriptAlone(): void
    {
        self::withServer(self::preloadIni(), true, static function (string $socket, \Closure $logs): void {
            $body = self::request($socket);
            self::assertSame("sapi=fpm-fcgi ffi.enable=preload preloaded=yes WERUN_LIBRARY=unset\n" . self::expected(), $body, $logs());
        });
    }

    public function testWithoutPreloadThePageSaysWhatToConfigure(): void
    {
        self::withServer(['ffi.enable' => 'preload'], false, static function (string $socket, \Closure $logs): void {
            $body = self::request($socket);
            self::assertStringStartsWith("sapi=fpm-fcgi ffi.enable=preload preloaded=no WERUN_LIBRARY=unset\nLoadException: ", $body, $logs());
            self::assertStringContainsString('ffi.enable=preload (PHP\'s default) allows FFI only in preloaded code', $body);
            self::assertStringContainsString('opcache.preload=' . self::$copy . '/preload.php', $body);
        });
    }
}
