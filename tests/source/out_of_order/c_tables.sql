-- A default that calls a function declared in a later file, and one that uses an enum value added later.
CREATE TABLE app.orders (id bigint PRIMARY KEY, user_id bigint, code text DEFAULT app.next_code());
CREATE TABLE app.users (id bigint PRIMARY KEY, email text NOT NULL, active boolean NOT NULL,
    status app.order_status NOT NULL DEFAULT 'shipped');
COMMENT ON COLUMN app.users.email IS 'login';
