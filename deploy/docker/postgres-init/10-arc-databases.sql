-- One database per ARC service, named as `npm start` names them (arc_<service>, dashes as underscores).
-- The services create their tables, views and the BI role themselves, but not their database.
-- PostgreSQL's image runs this once, when the postgres-data volume is first initialised. It is
-- idempotent, so on a volume initialised before it existed run it by hand:
--   docker compose exec postgres psql -U postgres -f /docker-entrypoint-initdb.d/10-arc-databases.sql
SELECT format('CREATE DATABASE %I', name)
FROM unnest(ARRAY['arc_credit', 'arc_invoicing', 'arc_payments', 'arc_collections', 'arc_risk_alert', 'arc_projections']) AS name
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = name)
\gexec
