export { toMs, wantSeconds, type Duration } from './duration.js';
export { Timer, timer$, type TimerOptions } from './timer.js';
export { cron$, validateCron, nextCronRun, type CronOptions } from './cron.js';
export { wakeAt, MAX_TIMEOUT_MS } from './wake-at.js';
export { timer, crontab, type TimerDecoratorOptions, type CrontabOptions } from './decorators.js';
export { itertimer } from './itertimer.js';
