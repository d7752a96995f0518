using System.Reflection;

namespace Engagement.Functions.Hosting;

/// <summary>
/// Standalone: calls a <c>[Function]</c> method as the isolated worker does — a new instance of its class from the
/// scope's services, arguments bound by the caller, the returned task awaited and its result handed back.
/// </summary>
internal static class FunctionInvoker
{
    public static async Task<object?> InvokeAsync(MethodInfo method, IServiceProvider services, Func<ParameterInfo, object?> bind)
    {
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        object?[] arguments = [.. method.GetParameters().Select(bind)];
        var returned = method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        if (returned is not Task task)
        {
            return returned;
        }

        await task;
        return method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
    }
}
