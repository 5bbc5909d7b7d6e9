COMMENT ON EVENT TRIGGER accrete_test_guard IS 'refuses DDL';
CREATE EVENT TRIGGER accrete_test_guard ON ddl_command_start EXECUTE FUNCTION public.guard();
ALTER EVENT TRIGGER accrete_test_guard ENABLE ALWAYS;
