-- CreateTable
CREATE TABLE "CatalogChange" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "onlineUrl" TEXT,
    "day" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "who" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CatalogChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackItem" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "conversationId" INTEGER,
    "citizenRef" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "procedureCode" TEXT,
    "procedureName" TEXT,
    "field" TEXT,
    "content" TEXT NOT NULL,
    "phone" TEXT,
    "phoneConsent" BOOLEAN NOT NULL DEFAULT false,
    "publishConsent" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'new',
    "dueAt" TIMESTAMP(3) NOT NULL,
    "answer" TEXT,
    "answeredAt" TIMESTAMP(3),
    "answeredBy" TEXT,
    "transferredTo" TEXT,
    "transferredAt" TIMESTAMP(3),
    "answerOutboundId" INTEGER,
    "postSlug" TEXT,
    "redactedAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FeedbackItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackEvent" (
    "id" SERIAL NOT NULL,
    "feedbackId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "fromState" TEXT,
    "toState" TEXT,
    "who" TEXT NOT NULL,
    "note" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FeedbackEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackCounter" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "FeedbackCounter_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "SatisfactionRating" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "about" TEXT NOT NULL,
    "procedureCode" TEXT,
    "field" TEXT,
    "score" TEXT NOT NULL,
    "reason" TEXT,
    "ratedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SatisfactionRating_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CatalogChange_day_id_idx" ON "CatalogChange"("day", "id");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackItem_code_key" ON "FeedbackItem"("code");

-- CreateIndex
CREATE INDEX "FeedbackItem_state_dueAt_idx" ON "FeedbackItem"("state", "dueAt");

-- CreateIndex
CREATE INDEX "FeedbackItem_receivedAt_idx" ON "FeedbackItem"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackItem_channel_platformMessageId_key" ON "FeedbackItem"("channel", "platformMessageId");

-- CreateIndex
CREATE INDEX "FeedbackEvent_feedbackId_at_idx" ON "FeedbackEvent"("feedbackId", "at");

-- CreateIndex
CREATE INDEX "SatisfactionRating_ratedAt_idx" ON "SatisfactionRating"("ratedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SatisfactionRating_channel_platformMessageId_key" ON "SatisfactionRating"("channel", "platformMessageId");

-- AddForeignKey
ALTER TABLE "FeedbackEvent" ADD CONSTRAINT "FeedbackEvent_feedbackId_fkey" FOREIGN KEY ("feedbackId") REFERENCES "FeedbackItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;
