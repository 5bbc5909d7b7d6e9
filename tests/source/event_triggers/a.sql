CREATE EVENT TRIGGER accrete_test_guard ON ddl_command_start EXECUTE FUNCTION public.guard();
