ALTER TYPE app.order_status ADD VALUE 'shipped';
