using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Tenants;
using HybridAI.Governance.Tools;

namespace HybridAI.Governance.Admin;

/// <summary>The tool registry's admin routes under <c>/admin/tenants/{id}/tool-servers</c> (docs/tools.md, docs/api.md).</summary>
public static class ToolAdminEndpoints
{
    public static RouteGroupBuilder MapToolAdminApi(this RouteGroupBuilder admin)
    {
        admin.MapPut("/tenants/{id}/tool-servers/{name}", async (string id, string name, HttpContext c, ToolRegistryService registry) =>
        {
            var server = await AdminHttp.ReadAsync<ToolServer>(c);
            Same("tenant_id", server.TenantId, id);
            Same("name", server.Name, name);
            server.TenantId = id;
            server.Name = name;
            return AdminHttp.Json(await registry.PutAsync(new PutToolServerRequest { Server = server },
                AdminActor.From(c.Request.Headers[AdminActor.Header]), c.RequestAborted));
        });
        admin.MapGet("/tenants/{id}/tool-servers", async (string id, HttpContext c, ToolRegistryService registry) =>
            AdminHttp.Json(await registry.ListAsync(id, c.RequestAborted)));
        admin.MapGet("/tenants/{id}/tool-servers/{name}", async (string id, string name, HttpContext c, ToolRegistryService registry) =>
            AdminHttp.Json(await registry.GetAsync(id, name, c.RequestAborted)));
        admin.MapDelete("/tenants/{id}/tool-servers/{name}", async (string id, string name, HttpContext c, ToolRegistryService registry) =>
            AdminHttp.Json(await registry.DeleteAsync(new DeleteToolServerRequest { TenantId = id, Name = name },
                AdminActor.From(c.Request.Headers[AdminActor.Header]), c.RequestAborted)));
        admin.MapPost("/tenants/{id}/tool-servers/{name}/test", async (string id, string name, HttpContext c, ToolRegistryService registry) =>
            AdminHttp.Json(await registry.TestAsync(new TestToolServerRequest { TenantId = id, Name = name }, c.RequestAborted)));
        return admin;
    }

    private static void Same(string field, string inBody, string inPath)
    {
        if (inBody.Length > 0 && inBody != inPath)
        {
            throw new ValidationFailedException("The request", [new Problem(field, $"is '{TenantRules.Truncate(inBody)}' in the body but '{TenantRules.Truncate(inPath)}' in the path.")]);
        }
    }
}
