using GinoDemo.Api.Hosting;

// The tutorial's get_app(): each concern is one extension in Hosting/.
var builder = WebApplication.CreateBuilder(args);
builder.AddGinoConfiguration();
builder.AddDefaultAddress();
builder.AddDatabase();
builder.AddApi();
builder.AddOpenApiDocs();

var app = builder.Build();
app.UseApi();
app.MapOpenApiDocs();
app.MapControllers();

return await app.RunWithDatabaseAsync();
