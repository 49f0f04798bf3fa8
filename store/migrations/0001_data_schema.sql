-- Rows of every dataset version live in their own table in this schema, apart from the platform's tables.
CREATE SCHEMA IF NOT EXISTS data;
