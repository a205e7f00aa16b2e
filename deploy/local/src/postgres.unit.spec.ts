import { databaseUrl, postgresSettings, renderPostgresConf } from './postgres';

describe('renderPostgresConf', () => {
  it('leaves numbers bare and quotes the rest', () => {
    expect(renderPostgresConf({ port: 54329, listen_addresses: '127.0.0.1', odd: "it's" }, 'header')).toBe(
      "# header\nport = 54329\nlisten_addresses = '127.0.0.1'\nodd = 'it''s'\n",
    );
  });
});

describe('postgresSettings', () => {
  it('keeps transactions short and allows many connections', () => {
    expect(postgresSettings(1234)).toMatchObject({ port: 1234, max_connections: 300, idle_in_transaction_session_timeout: '60s' });
  });
});

describe('databaseUrl', () => {
  it('points at the postgres database as the postgres role', () => {
    expect(databaseUrl(54329)).toBe('postgres://postgres@127.0.0.1:54329/postgres');
  });
});
