export { toMs, wantSeconds, type Duration, type DurationUnit } from './duration.js';
export { Timer, timer$, type TimerOptions } from './timer.js';
export { cron$, validateCron, type CronOptions } from './cron.js';
export { longTimer } from './long-timer.js';
export { timer, crontab, type TimerDecoratorOptions, type CrontabOptions } from './decorators.js';
export { itertimer } from './itertimer.js';
