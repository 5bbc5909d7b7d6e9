-- An enum; the value app.users uses in its default is added by a later file.
CREATE TYPE app.order_status AS ENUM ('new');
