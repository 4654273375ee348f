-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "StaffUser" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "lastLoginAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffSession" (
    "id" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "who" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT,
    "detail" JSONB NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Procedure" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Procedure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommuneProfile" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "workingHours" TEXT NOT NULL,
    "website" TEXT,
    "portalUrl" TEXT,
    "email" TEXT,
    "note" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommuneProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Hotline" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "hours" TEXT,
    "isExample" BOOLEAN NOT NULL DEFAULT false,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Hotline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "citizenRef" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'bot',
    "context" JSONB NOT NULL,
    "lastInboundAt" TIMESTAMP(3),
    "handedOverAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundMessage" (
    "id" SERIAL NOT NULL,
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
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),
    "claimedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "InboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UnansweredQuestion" (
    "id" SERIAL NOT NULL,
    "inboundId" INTEGER NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "folded" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "procedureCode" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "UnansweredQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboundMessage" (
    "id" SERIAL NOT NULL,
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
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "platformMessageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelState" (
    "channel" TEXT NOT NULL,
    "healthy" BOOLEAN NOT NULL DEFAULT true,
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelState_pkey" PRIMARY KEY ("channel")
);

-- CreateTable
CREATE TABLE "ChannelToken" (
    "channel" TEXT NOT NULL,
    "accessToken" TEXT NOT NULL,
    "refreshToken" TEXT,
    "expiresAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelToken_pkey" PRIMARY KEY ("channel")
);

-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "tags" JSONB NOT NULL,
    "body" TEXT NOT NULL,
    "imageUrl" TEXT,
    "link" TEXT,
    "channels" JSONB NOT NULL,
    "notBefore" TIMESTAMP(3),
    "notAfter" TIMESTAMP(3),
    "origin" TEXT NOT NULL DEFAULT 'file',
    "sourceFile" TEXT,
    "contentHash" TEXT NOT NULL,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduledPost" (
    "id" SERIAL NOT NULL,
    "postId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "planId" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "platformPostId" TEXT,
    "heldSince" TIMESTAMP(3),
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),
    "outboundId" INTEGER,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScheduledPost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostPlan" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "weekdays" JSONB NOT NULL,
    "times" JSONB NOT NULL,
    "topics" JSONB NOT NULL,
    "channels" JSONB NOT NULL,
    "startAt" TIMESTAMP(3) NOT NULL,
    "endAt" TIMESTAMP(3),
    "maxCount" INTEGER,
    "targetPerMonth" INTEGER,
    "nextRunAt" TIMESTAMP(3),
    "occurrences" INTEGER NOT NULL DEFAULT 0,
    "missedCount" INTEGER NOT NULL DEFAULT 0,
    "lastNote" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PostPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyTally" (
    "day" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "DailyTally_pkey" PRIMARY KEY ("day","metric","channel","key")
);

-- CreateTable
CREATE TABLE "CitizenActivity" (
    "bucket" TEXT NOT NULL,
    "citizenRef" TEXT NOT NULL,
    "channel" TEXT NOT NULL,

    CONSTRAINT "CitizenActivity_pkey" PRIMARY KEY ("bucket","citizenRef")
);

-- CreateTable
CREATE TABLE "ManualOutreach" (
    "id" SERIAL NOT NULL,
    "date" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "topic" TEXT,
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ManualOutreach_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StaffUser_username_key" ON "StaffUser"("username");

-- CreateIndex
CREATE INDEX "StaffSession_userId_idx" ON "StaffSession"("userId");

-- CreateIndex
CREATE INDEX "StaffSession_expiresAt_idx" ON "StaffSession"("expiresAt");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_entity_entityId_idx" ON "AuditLog"("entity", "entityId");

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

-- CreateIndex
CREATE UNIQUE INDEX "Post_slug_key" ON "Post"("slug");

-- CreateIndex
CREATE INDEX "Post_topic_archived_idx" ON "Post"("topic", "archived");

-- CreateIndex
CREATE INDEX "ScheduledPost_state_nextAttemptAt_idx" ON "ScheduledPost"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ScheduledPost_channel_state_publishedAt_idx" ON "ScheduledPost"("channel", "state", "publishedAt");

-- CreateIndex
CREATE INDEX "ScheduledPost_postId_channel_idx" ON "ScheduledPost"("postId", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledPost_planId_channel_dueAt_key" ON "ScheduledPost"("planId", "channel", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "PostPlan_name_key" ON "PostPlan"("name");

-- CreateIndex
CREATE INDEX "PostPlan_active_nextRunAt_idx" ON "PostPlan"("active", "nextRunAt");

-- CreateIndex
CREATE INDEX "ManualOutreach_date_idx" ON "ManualOutreach"("date");

-- AddForeignKey
ALTER TABLE "StaffSession" ADD CONSTRAINT "StaffSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "StaffUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundMessage" ADD CONSTRAINT "InboundMessage_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduledPost" ADD CONSTRAINT "ScheduledPost_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduledPost" ADD CONSTRAINT "ScheduledPost_planId_fkey" FOREIGN KEY ("planId") REFERENCES "PostPlan"("id") ON DELETE SET NULL ON UPDATE CASCADE;
