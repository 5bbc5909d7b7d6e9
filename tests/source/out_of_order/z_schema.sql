-- The schema everything above lives in, created last.
CREATE SCHEMA app;
