-- Unqualified names under this file's own search_path, before the schema exists.
SET search_path = app;
CREATE TABLE widgets (id int REFERENCES users (id));
