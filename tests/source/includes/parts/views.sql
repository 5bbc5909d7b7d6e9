-- views
CREATE VIEW inc.v AS
  SELECT id, 'é' AS e,
         nope FROM inc.t;
