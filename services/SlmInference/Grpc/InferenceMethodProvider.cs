using System.Text;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using HybridAI.Contracts.Inference.V1;
using HybridAI.ServiceDefaults.Grpc;

namespace HybridAI.SlmInference.Grpc;

/// <summary>
/// Binds the <c>hybridai.inference.v1.InferenceService</c> methods to <see cref="InferenceGrpcService"/> with request
/// marshallers that turn a malformed message into INVALID_ARGUMENT. Protobuf validates UTF-8 while parsing, before any
/// handler or interceptor runs; with the generated marshallers a text that is not UTF-8 would surface as UNKNOWN
/// ("exception was thrown by handler") instead of naming the problem.
/// </summary>
internal sealed class InferenceMethodProvider : IServiceMethodProvider<InferenceGrpcService>
{
    private const string Service = "hybridai.inference.v1.InferenceService";

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<InferenceGrpcService> context)
    {
        context.AddUnaryMethod(Method<EmbedRequest, EmbedResponse>(MethodType.Unary, "Embed", EmbedRequest.Parser), [], (service, request, call) => service.Embed(request, call));
        context.AddUnaryMethod(Method<ClassifyRequest, ClassifyResponse>(MethodType.Unary, "Classify", ClassifyRequest.Parser), [], (service, request, call) => service.Classify(request, call));
        context.AddServerStreamingMethod(Method<GenerateRequest, GenerateChunk>(MethodType.ServerStreaming, "Generate", GenerateRequest.Parser), [],
            (service, request, stream, call) => service.Generate(request, stream, call));
        context.AddUnaryMethod(Method<ListModelsRequest, ListModelsResponse>(MethodType.Unary, "ListModels", ListModelsRequest.Parser), [], (service, request, call) => service.ListModels(request, call));
    }

    private static Method<TRequest, TResponse> Method<TRequest, TResponse>(MethodType type, string name, MessageParser<TRequest> parser)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>, new() =>
        new(type, Service, name, RequestMarshaller(parser, name), Marshallers.Create<TResponse>(
            static (message, context) => context.Complete(message.ToByteArray()),
            static _ => throw new NotSupportedException("The server never reads responses.")));

    private static Marshaller<T> RequestMarshaller<T>(MessageParser<T> parser, string method) where T : IMessage<T> =>
        Marshallers.Create<T>(
            static (message, context) => context.Complete(message.ToByteArray()),
            context =>
            {
                try
                {
                    return parser.ParseFrom(context.PayloadAsReadOnlySequence());
                }
                catch (Exception e) when (e is InvalidProtocolBufferException or DecoderFallbackException)
                {
                    throw RpcErrors.InvalidArgument(
                        $"The {method} request is not a valid {typeof(T).Name}: {e.Message} Strings must be valid UTF-8.", ("request", e.Message));
                }
            });
}
