import t from 'tap';
import { EventLoopLag } from '../../src/plugins/app/load-shedding.js';

function block(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* a loop blocked for several whole sample intervals */
  }
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

t.test('a loop blocked for whole intervals reads as a finite delay, about as long as the block', async (t) => {
  const lag = new EventLoopLag();
  lag.start(20);
  t.teardown(() => lag.stop());
  await tick(60);
  block(400);
  await tick(5);
  t.ok(Number.isFinite(lag.current), `finite: ${lag.current}`);
  t.ok(lag.current >= 300, `${Math.round(lag.current)} ms after a 400 ms block`);
  await tick(100);
  t.ok(lag.current < 300, `back down once idle: ${Math.round(lag.current)} ms`);
});
