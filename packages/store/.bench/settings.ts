import { PGlite } from '@electric-sql/pglite';
const pg = await PGlite.create();
for (const s of ['max_wal_size', 'min_wal_size', 'checkpoint_timeout', 'full_page_writes', 'wal_compression', 'wal_level', 'wal_segment_size', 'wal_buffers', 'synchronous_commit', 'fsync', 'shared_buffers', 'max_files_per_process', 'wal_init_zero', 'wal_recycle', 'server_version', 'autovacuum', 'wal_writer_delay', 'commit_delay'])
  console.log(s, (await pg.query(`SHOW ${s}`)).rows[0]);
await pg.close();
