using HybridAI.ServiceDefaults.Options;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Validated, start-checked options for HybridAI services.</summary>
public static class OptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to its section and validates it when the host starts: data annotations
    /// (recursively) and <see cref="ISelfValidatingOptions"/> rules, reported together in one message that names
    /// every bad key, so an operator fixes them all at once.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services)
        where T : class, IServiceOptions
    {
        services.AddSingleton<IValidateOptions<T>, ServiceOptionsValidator<T>>();
        return services.AddOptions<T>().BindConfiguration(T.SectionName).ValidateOnStart();
    }
}
