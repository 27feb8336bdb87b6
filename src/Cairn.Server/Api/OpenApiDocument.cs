using Microsoft.OpenApi;

namespace Cairn.Server.Api;

/// <summary>
/// Completes the generated OpenAPI document: every API operation lists the problem answers it can
/// give (RFC 9457, one shared schema), the bearer-key security scheme, and the Idempotency-Key and
/// If-Match headers where they apply.
/// </summary>
public static class OpenApiDocument
{
    private const string ProblemSchema = "Problem";

    /// <summary>Registers the document named <c>v1</c> with Cairn's additions.</summary>
    public static void AddCairnOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            o.AddDocumentTransformer((document, _, _) =>
            {
                Complete(document);
                return Task.CompletedTask;
            });
        });

    private static void Complete(Microsoft.OpenApi.OpenApiDocument document)
    {
        document.Info.Title = "Cairn API";
        document.Info.Description = "Milestone billing: contracts, milestones, invoices, payments. Amounts are {\"amount\": \"3000.00\", \"currency\": \"EUR\"}; errors are RFC 9457 problem documents with a stable `code` and the `field` at fault. Every GET also answers HEAD (same status and headers, no body); every PATCH honours If-Match with the ETag its GET sent (412 when it is stale).";
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "type", "title", "status", "detail", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI identifying the kind of problem." },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong and how to fix it." },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable machine-readable code, e.g. invalid_amount, invalid_transition." },
                ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request field at fault, when there is one." },
                ["errors"] = new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } } },
            },
        };
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key created by an owner: Authorization: Bearer cairn_…",
        };

        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/api/v1", StringComparison.Ordinal) || item.Operations is null)
                continue;

            // Every GET also answers HEAD (Http.AnswerHeadLikeGet); the document says so once instead of repeating each GET.
            item.Operations.Remove(HttpMethod.Head);
            foreach (var (method, operation) in item.Operations)
            {
                operation.Responses ??= new OpenApiResponses();
                Add(operation, document, "400", "The request is malformed or a field is invalid.");
                Add(operation, document, "401", "No valid API key or session.");
                Add(operation, document, "403", "The caller's role does not allow this.");
                if (path.Contains('{', StringComparison.Ordinal))
                    Add(operation, document, "404", "No such resource in the caller's organization.");
                if (method != HttpMethod.Get)
                {
                    Add(operation, document, "409", "The resource's state does not allow this (e.g. invalid_transition), or a concurrent change won.");
                    Add(operation, document, "413", "The body is larger than 1 MiB.");
                    Add(operation, document, "503", "The database is busy; nothing was changed; retry.");
                }

                if (method == HttpMethod.Post)
                {
                    Add(operation, document, "422", "The Idempotency-Key was already used with a different request.");
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = UnitOfWork.Header,
                        In = ParameterLocation.Header,
                        Description = "Makes the POST safe to retry: the first answer is stored and replayed for 24 hours.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                    });
                }

                if (method == HttpMethod.Patch)
                {
                    Add(operation, document, "412", "If-Match named an older version.");
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = "If-Match",
                        In = ParameterLocation.Header,
                        Description = "The ETag read earlier; the change is refused with 412 if the resource changed since.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                }

                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] });
            }
        }
    }

    private static void Add(OpenApiOperation operation, Microsoft.OpenApi.OpenApiDocument document, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
            return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [Problems.ContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }
}
