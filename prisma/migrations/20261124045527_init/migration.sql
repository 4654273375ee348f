-- CreateTable
CREATE TABLE "Procedure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "documents" JSONB NOT NULL,
    "processingTime" TEXT NOT NULL,
    "fees" TEXT NOT NULL,
    "submitAt" TEXT NOT NULL,
    "onlineUrl" TEXT,
    "onlineLevel" TEXT,
    "legalBasis" JSONB NOT NULL,
    "aliases" JSONB NOT NULL,
    "source" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CommuneProfile" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "workingHours" TEXT NOT NULL,
    "website" TEXT,
    "portalUrl" TEXT,
    "email" TEXT,
    "note" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Hotline" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "hours" TEXT,
    "isExample" BOOLEAN NOT NULL DEFAULT false,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "citizenRef" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'bot',
    "context" JSONB NOT NULL,
    "lastInboundAt" DATETIME,
    "handedOverAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InboundMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "citizenRef" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "payload" TEXT,
    "message" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "outcome" TEXT,
    "procedureCode" TEXT,
    "field" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    CONSTRAINT "InboundMessage_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UnansweredQuestion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "inboundId" INTEGER NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "folded" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "procedureCode" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME
);

-- CreateTable
CREATE TABLE "OutboundMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipientRef" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "conversationId" INTEGER,
    "inboundId" INTEGER,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "scheduledPostId" INTEGER,
    "procedureCode" TEXT,
    "field" TEXT,
    "topic" TEXT,
    "text" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "platformMessageId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChannelState" (
    "channel" TEXT NOT NULL PRIMARY KEY,
    "healthy" BOOLEAN NOT NULL DEFAULT true,
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChannelToken" (
    "channel" TEXT NOT NULL PRIMARY KEY,
    "accessToken" TEXT NOT NULL,
    "refreshToken" TEXT,
    "expiresAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Procedure_code_key" ON "Procedure"("code");

-- CreateIndex
CREATE INDEX "Procedure_field_idx" ON "Procedure"("field");

-- CreateIndex
CREATE UNIQUE INDEX "Hotline_key_key" ON "Hotline"("key");

-- CreateIndex
CREATE INDEX "Conversation_state_updatedAt_idx" ON "Conversation"("state", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_channel_address_key" ON "Conversation"("channel", "address");

-- CreateIndex
CREATE INDEX "InboundMessage_status_receivedAt_idx" ON "InboundMessage"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "InboundMessage_receivedAt_idx" ON "InboundMessage"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboundMessage_channel_platformMessageId_key" ON "InboundMessage"("channel", "platformMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "UnansweredQuestion_inboundId_key" ON "UnansweredQuestion"("inboundId");

-- CreateIndex
CREATE INDEX "UnansweredQuestion_status_createdAt_idx" ON "UnansweredQuestion"("status", "createdAt");

-- CreateIndex
CREATE INDEX "OutboundMessage_status_nextAttemptAt_idx" ON "OutboundMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboundMessage_sentAt_idx" ON "OutboundMessage"("sentAt");

-- CreateIndex
CREATE INDEX "OutboundMessage_conversationId_createdAt_idx" ON "OutboundMessage"("conversationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundMessage_inboundId_seq_key" ON "OutboundMessage"("inboundId", "seq");
