// A CommonJS TypeScript consumer of require('werun'), checked by `tsc -p test/types` (never
// run). Each @ts-expect-error line must be an error, or tsc fails.
import werun = require('werun');
import { decryptSteps, openData, diagnose, WerunError, DecryptFailedError, Status } from 'werun';

declare const sessionKey: string;
declare const iv: string;
declare const body: Buffer;

const data: werun.WeRunData = decryptSteps(sessionKey, iv, body, { appid: 'wx4f4bc4dec97d474b' });
const first: werun.Step | undefined = data.steps[0];
const day: number = data.steps[0].timestamp;
const steps: number = data.steps[0].step;
const watermark: number | null = data.watermarkTimestamp;

const exact = decryptSteps(sessionKey, iv, body, { appid: null, bigint: true });
const exactDay: bigint = exact.steps[0].timestamp;
const exactWatermark: bigint | null = exact.watermarkTimestamp;

decryptSteps(new Uint8Array(24), Buffer.from(iv), sessionKey, {
  appid: Buffer.from('wx4f4bc4dec97d474b'),
  now: Math.floor(Date.now() / 1000),
  maxAge: 600n,
  strictBase64: true,
  maxSteps: 31,
});

const rotated: werun.WeRunDataWithKey = werun.decryptStepsWithKeys([sessionKey, body], iv, body,
  { appid: 'wx4f4bc4dec97d474b' });
const keyIndex: number = rotated.keyIndex;
const rotatedExact: bigint = werun.decryptStepsWithKeys([sessionKey], iv, body,
  { appid: null, bigint: true }).steps[0].timestamp;
const wxCode: number = werun.statusWxCode(7);

const opened: werun.OpenData = openData(sessionKey, iv, body, { appid: 'wx4f4bc4dec97d474b' });
const json: string = opened.json;
const cause: werun.DiagnosisName = diagnose(sessionKey, iv, body);
diagnose(sessionKey, iv, body, { strictBase64: true });
const message: string = werun.diagnosisMessage(cause);

try {
  decryptSteps(sessionKey, iv, body, { appid: 'wx4f4bc4dec97d474b' });
} catch (e) {
  if (e instanceof DecryptFailedError) {
    const status: 7 = e.status;
    const code: 'WERUN_STATUS_DECRYPT_FAILED' = e.code;
  } else if (e instanceof WerunError) {
    const status: number = e.status;
    const code: string = e.code;
    const text: string = e.message;
    const fromTheSample: number = e.wxCode;
  }
}
const decryptFailed: 7 = Status.DECRYPT_FAILED;
const abi: number = werun.ABI_VERSION;
const where: string = werun.libraryPath;

// @ts-expect-error: appid is required (null, written out, skips the check)
decryptSteps(sessionKey, iv, body, {});
// @ts-expect-error: options are required
decryptSteps(sessionKey, iv, body);
// @ts-expect-error: a number is not text
decryptSteps(42, iv, body, { appid: null });
// @ts-expect-error: unknown option
decryptSteps(sessionKey, iv, body, { appid: null, appId: 'wx' });
// @ts-expect-error: maxAge is a number of seconds, not a string
openData(sessionKey, iv, body, { appid: null, now: 1, maxAge: '600' });
// @ts-expect-error: without bigint: true, timestamps are numbers
const notBig: bigint = data.steps[0].timestamp;
// @ts-expect-error: the candidate keys are an array
werun.decryptStepsWithKeys(sessionKey, iv, body, { appid: null });
// @ts-expect-error: diagnose takes no appid
diagnose(sessionKey, iv, body, { appid: 'wx' });
// @ts-expect-error: not a diagnosis name
const notACause: werun.DiagnosisName = 'STALE';

export { first, day, steps, watermark, exactDay, exactWatermark, json, message, decryptFailed, abi,
  where, notBig, notACause, keyIndex, rotatedExact, wxCode };
