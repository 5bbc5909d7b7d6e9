-- Enumerated types of the llm schema. New values may be added (accrete plans ADD VALUE in place);
-- removing or reordering a value is never planned.

CREATE TYPE llm.provider_kind AS ENUM (
    'openai',
    'anthropic',
    'openrouter',
    'google',
    'azure_openai',
    'custom'
);

CREATE TYPE llm.server_kind AS ENUM (
    'ollama',
    'vllm',
    'lmstudio',
    'tgi',
    'llamacpp'
);

CREATE TYPE llm.deployment_status AS ENUM (
    'pending',
    'starting',
    'running',
    'stopping',
    'stopped',
    'failed'
);

CREATE TYPE llm.tier AS ENUM (
    'trial',
    'free',
    'starter',
    'professional',
    'enterprise'
);

CREATE TYPE llm.permission_subject AS ENUM (
    'user',
    'role',
    'organization'
);
