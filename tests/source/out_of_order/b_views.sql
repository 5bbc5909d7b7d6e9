-- A view written before its table.
CREATE VIEW app.active_users AS SELECT id, email FROM app.users WHERE active;
