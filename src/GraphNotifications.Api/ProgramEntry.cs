// The functional tests host the service through WebApplicationFactory<Program>, which needs this type public.
public partial class Program;
