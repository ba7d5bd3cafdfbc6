// An ES module TypeScript consumer of `import 'werun'`, checked by `tsc -p test/types` (never
// run). Each @ts-expect-error line must be an error, or tsc fails.
import werun, { decryptSteps, openData, diagnose, AppIdMismatchError, type WeRunData } from 'werun';

declare const sessionKey: string;
declare const iv: string;
declare const encryptedData: string;

const data: WeRunData = decryptSteps(sessionKey, iv, encryptedData, { appid: 'wx4f4bc4dec97d474b' });
const total: number = data.steps.reduce((sum, day) => sum + day.step, 0);
const viaDefault: WeRunData<bigint> =
  werun.decryptSteps(sessionKey, iv, encryptedData, { appid: null, bigint: true });
const json: string = openData(sessionKey, iv, encryptedData, { appid: null }).json;
const cause: string = diagnose(sessionKey, iv, encryptedData);
const error = new AppIdMismatchError();
const status: 8 = error.status;

// @ts-expect-error: appid is required
openData(sessionKey, iv, encryptedData, { strictBase64: true });
// @ts-expect-error: strictBase64 is a boolean
decryptSteps(sessionKey, iv, encryptedData, { appid: null, strictBase64: 'yes' });

export { total, viaDefault, json, cause, status };
