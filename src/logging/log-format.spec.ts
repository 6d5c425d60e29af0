import { isStartupDetail, usePrettyLogs } from './log-format.js';

describe('usePrettyLogs', () => {
  it.each([
    ['development', true, true],
    ['development', false, false],
    ['development', undefined, false],
    ['staging', true, true],
    ['production', true, false],
    ['production', false, false],
    ['test', true, false],
  ])('NODE_ENV=%s, stdout a TTY: %s → pretty %s', (nodeEnv, stdoutIsTTY, pretty) => {
    expect(usePrettyLogs({ nodeEnv, stdoutIsTTY })).toBe(pretty);
  });
});

describe('isStartupDetail', () => {
  it("moves Nest's route and module lines at info to debug, nothing else", () => {
    expect(isStartupDetail([{ context: 'RoutesResolver' }, 'ConversationsController {/api/conversations}:'], 30)).toBe(true);
    expect(isStartupDetail([{ context: 'RouterExplorer' }, 'Mapped {/api/health, GET} route'], 30)).toBe(true);
    expect(isStartupDetail([{ context: 'InstanceLoader' }, 'AppModule dependencies initialized'], 30)).toBe(true);
    expect(isStartupDetail([{ context: 'NestApplication' }, 'Nest application successfully started'], 30)).toBe(false);
    expect(isStartupDetail([{ context: 'RouterExplorer' }, 'a warning'], 40)).toBe(false);
    expect(isStartupDetail(['plain message'], 30)).toBe(false);
  });
});
