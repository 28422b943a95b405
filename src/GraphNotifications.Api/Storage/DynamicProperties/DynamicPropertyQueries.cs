using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;

namespace GraphNotifications.Api.Storage.DynamicProperties;

/// <summary>
/// Adds the translation of <see cref="DynamicPropertyValues"/> to a relational store's query pipeline: EF Core's
/// mechanism for functions of one's own (a method call translator plugin), which keeps the model, and so the
/// compiled models, unchanged.
/// </summary>
internal static class DynamicPropertyQueries
{
    public static DbContextOptionsBuilder TranslateDynamicProperties<TTranslator>(this DbContextOptionsBuilder options)
        where TTranslator : class, IMethodCallTranslator
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new Extension(typeof(Plugin<TTranslator>)));
        return options;
    }

    private sealed class Plugin<TTranslator>(ISqlExpressionFactory sql, Microsoft.EntityFrameworkCore.Storage.IRelationalTypeMappingSource types) : IMethodCallTranslatorPlugin
        where TTranslator : class, IMethodCallTranslator
    {
        public IEnumerable<IMethodCallTranslator> Translators { get; } = [(TTranslator)Activator.CreateInstance(typeof(TTranslator), sql, types)!];
    }

    private sealed class Extension(Type plugin) : IDbContextOptionsExtension
    {
        public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

        public void ApplyServices(IServiceCollection services) =>
            new EntityFrameworkRelationalServicesBuilder(services).TryAdd(typeof(IMethodCallTranslatorPlugin), plugin);

        public void Validate(IDbContextOptions options)
        {
        }

        private sealed class ExtensionInfo(Extension extension) : DbContextOptionsExtensionInfo(extension)
        {
            public override bool IsDatabaseProvider => false;

            public override string LogFragment => string.Empty;

            public override int GetServiceProviderHashCode() => ((Extension)Extension).Plugin.GetHashCode();

            public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) =>
                other is ExtensionInfo info && ((Extension)info.Extension).Plugin == ((Extension)Extension).Plugin;

            public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
                debugInfo["GraphNotifications:DynamicProperties"] = ((Extension)Extension).Plugin.Name;
        }

        private Type Plugin => plugin;
    }
}
